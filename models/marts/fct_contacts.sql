-- One row per clean contact: the contact's facts, its local attribution,
-- the flags of kpis.md's shared definitions (from the macros in
-- macros/kpi/ that the KPI views use too), and its operational FCR and
-- repeat-contact classification.

-- Incremental, against the folder's table materialization: at a year of
-- history a daily load would otherwise rebuild every contact to add one
-- day. Whole rows are replaced by contact_id (delete+insert), and a column
-- change stops the run (on_schema_change) instead of leaving old rows
-- with another shape: `dbt build --full-refresh` then. An older contact
-- gets its next inbound arrival and FCR status first (pre-hook);
-- a contact that a re-send turned into a reject is deleted after the run.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='contact_id',
        on_schema_change='fail',
        pre_hook="{{ update_fcr_of_older_contacts(ref('stg_contacts')) }}",
        post_hook="{{ delete_rows_without_key(
            ref('stg_contacts'), 'contact_id', ref('stg_contacts__checked')
        ) }}",
    )
}}

with

-- The only CTE reading every column of every contact: the others read
-- stg_contacts themselves. DuckDB materializes a CTE that is read twice
-- (at 10M contacts a full build took 42 s instead of 32 s, an incremental
-- one 7.9 s instead of 5.6 s).
contacts as (

    select * from {{ ref('stg_contacts') }}

),

-- FCR's pending rule compares with the last arrival of all clean contacts.
last_arrival as (

    select max(arrived_at) as last_arrived_at
    from {{ ref('stg_contacts') }}

),

{% if is_incremental() %}
    -- which contacts an incremental run rebuilds (macro contact_cutoffs)
    previous_build as (

        {{ contact_cutoffs(this) }}

    ),
{% endif %}

recomputed as (

    select contacts.*
    from contacts
    {% if is_incremental() %}
        cross join previous_build
        where contacts.ended_at >= previous_build.arrival_cutoff
    {% endif %}

),

{% if is_incremental() %}
    -- Only the recomputed contacts are looked up (the ASOF joins over every
    -- contact were most of an incremental run). Their next inbound arrival
    -- is after arrival_cutoff, as they ended after it.
    known_recomputed as (

        select * from recomputed
        where customer_id is not null

    ),

    -- the inbound contacts of the recomputed customers only: the ASOF
    -- joins sort what they look up in
    inbound as (

        select
            customer_id,
            arrived_at,
            ended_at
        from {{ ref('stg_contacts') }}
        where
            direction = 'inbound'
            and customer_id in (
                select known_recomputed.customer_id from known_recomputed
            )

    ),

    recent_inbound as (

        select inbound.*
        from inbound
        cross join previous_build
        where inbound.arrived_at >= previous_build.arrival_cutoff

    ),

    -- The previous inbound contact of a recomputed contact may have ended
    -- months before. Of the ends before the earliest recomputed arrival
    -- only each customer's last one can be the answer: the ASOF join sorts
    -- that one row per customer instead of the customer's whole history
    -- (at 10M contacts 4.9M rows, 0.7 s).
    earliest_recomputed as (

        select min(arrived_at) as arrived_at
        from known_recomputed

    ),

    previous_inbound as (

        select inbound.*
        from inbound
        cross join earliest_recomputed
        where inbound.ended_at >= earliest_recomputed.arrived_at

        union all

        select
            inbound.customer_id,
            null as arrived_at,
            max(inbound.ended_at) as ended_at
        from inbound
        cross join earliest_recomputed
        where inbound.ended_at < earliest_recomputed.arrived_at
        group by 1

    ),

    sequence as (

        {{ customer_sequence(
            'known_recomputed', 'recent_inbound', 'previous_inbound'
        ) }}

    ),
{% else %}
    sequence as (

        select * from {{ ref('int_contacts__customer_sequence') }}

    ),
{% endif %}

joined as (

    select
        recomputed.*,
        sequence.next_inbound_arrived_at,
        sequence.previous_inbound_ended_at,
        last_arrival.last_arrived_at
    from recomputed
    cross join last_arrival
    left join sequence
        on recomputed.contact_id = sequence.contact_id

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
        cast(extract(isodow from {{ to_local('arrived_at') }}) as integer)
            as contact_iso_day_of_week,
        {{ floor_to_interval(to_local('arrived_at')) }} as interval_start_local,

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
        -- derived here, not read from stg_contacts: an incremental run
        -- filters its contacts only after the view's columns, and would
        -- convert the instants of every contact (3 s at 10M)
        {{ to_local('arrived_at') }} as arrived_at_local,
        {{ to_local('answered_at') }} as answered_at_local,
        {{ to_local('ended_at') }} as ended_at_local,
        {{ built_at() }} as built_at

    from joined

)

select * from final
