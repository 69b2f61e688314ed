-- One row per clean contact: the contact's facts, its local attribution,
-- the flags of kpis.md's shared definitions (from the macros in
-- macros/kpi/ that the KPI views use too), and its operational FCR and
-- repeat-contact classification.

with

contacts as (

    select * from {{ ref('stg_contacts') }}

),

sequence as (

    select * from {{ ref('int_contacts__customer_sequence') }}

),

joined as (

    select
        contacts.*,
        sequence.next_inbound_arrived_at,
        sequence.previous_inbound_ended_at,
        max(contacts.arrived_at) over () as last_arrived_at
    from contacts
    left join sequence
        on contacts.contact_id = sequence.contact_id

),

final as (

    select
        -- ids
        contact_id,
        customer_id,
        case_id,
        agent_id,
        caller_number_hash,

        -- attribution: local date, hour and interval of arrived_at
        queue,
        channel,
        direction,
        outcome,
        transferred_to_queue,
        {{ local_date('arrived_at') }} as contact_date,
        {{ local_hour('arrived_at') }} as contact_hour,
        cast(extract(isodow from arrived_at_local) as integer)
            as contact_iso_day_of_week,
        {{ floor_to_interval('arrived_at_local') }} as interval_start_local,

        -- flags (kpis.md, "Shared definitions")
        direction = 'inbound' as is_inbound,
        {{ is_queued() }} as is_queued,
        {{ is_handled() }} as is_handled,
        {{ is_short_abandon() }} as is_short_abandon,
        {{ is_abandoned() }} as is_abandoned,
        outcome = 'abandoned' as is_lost,
        {{ is_offered() }} as is_offered,
        {{ is_answered_within_threshold() }} as is_answered_within_threshold,
        outcome = 'blocked' as is_blocked,
        outcome = 'self_served' as is_self_served,
        direction = 'outbound' and outcome = 'answered' as is_outbound_connected,
        transferred_to_queue is not null as is_transferred,
        {{ is_repeat_contact() }} as is_repeat_contact,
        {{ fcr_status('last_arrived_at') }} as fcr_status,
        agent_resolved,

        -- durations
        {{ wait_seconds() }} as wait_seconds,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        {{ handle_seconds() }} as handle_seconds,

        -- same customer's neighbouring inbound contacts (FCR, repeats)
        next_inbound_arrived_at,
        previous_inbound_ended_at,

        -- timestamps
        arrived_at,
        queued_at,
        answered_at,
        ended_at,
        arrived_at_local,
        answered_at_local,
        ended_at_local

    from joined

)

select * from final
