-- One row per case, with what its clean contacts say about it: how many
-- inbound contacts it took, whether it stayed on its origin channel, and
-- which contact came first.

-- Incremental like fct_contacts: at 10M contacts a daily load rebuilt all
-- 6.7M cases from every contact (7 s alone, 18 s beside other models). A
-- case that stg_cases no longer holds as clean is deleted after the run:
-- delete+insert only replaces the keys it inserts.
-- depends_on: {{ ref('stg_contacts__checked') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='case_id',
        on_schema_change='fail',
        post_hook="{{ delete_rows_without_key(
            ref('stg_cases'), 'case_id', ref('stg_cases__checked')
        ) }}",
    )
}}

with

{% if is_incremental() %}
    -- Which cases an incremental run recomputes: those whose row or whose
    -- contacts' rows staging wrote since the latest build (built_at). A
    -- contact's rows are judged again together, its earlier exports
    -- included, so a contact moved to another case or rejected brings its
    -- old case along.
    rebuilt_cases as (

        select case_id
        from {{ ref('stg_cases') }}
        where {{ built_after_latest_build('built_at') }}
        union
        select case_id
        from {{ ref('stg_contacts__checked') }}
        where
            case_id is not null
            and {{ built_after_latest_build('built_at') }}

    ),
{% endif %}

cases as (

    select * from {{ ref('stg_cases') }}
    {%- if is_incremental() %}
        where case_id in (select rebuilt_cases.case_id from rebuilt_cases)
    {%- endif %}

),

contacts as (

    select * from {{ ref('fct_contacts') }}
    where
        case_id is not null
        {%- if is_incremental() %}
            and case_id in (select rebuilt_cases.case_id from rebuilt_cases)
        {%- endif %}

),

-- Without a join to the cases: whether every contact stayed on the origin
-- channel follows from the least and greatest channel. The first contact
-- (by arrival, then contact_id) is the case's attribution for case FCR:
-- the least struct, whose fields compare in order.
contact_stats as (

    select
        case_id,
        count(*) as contact_count,
        count(case when is_inbound then 1 end) as inbound_contact_count,
        max(arrived_at) as last_contact_arrived_at,
        min(channel) as least_channel,
        max(channel) as greatest_channel,
        min({
            'arrived_at': arrived_at,
            'contact_id': contact_id,
            'contact_date': contact_date,
            'queue': queue,
            'channel': channel
        }) as first_contact
    from contacts
    group by 1

),

final as (

    select
        -- ids
        cases.case_id,
        cases.customer_id,

        -- attribution
        cases.category,
        cases.origin_channel,
        {{ local_date('cases.opened_at') }} as opened_date,
        {{ local_date('cases.resolved_at') }} as resolved_date,

        -- contact counts
        coalesce(contact_stats.contact_count, 0) as contact_count,
        coalesce(contact_stats.inbound_contact_count, 0) as inbound_contact_count,

        -- flags (kpis.md: case_fcr, channel containment)
        cases.is_resolved,
        coalesce(contact_stats.contact_count, 0) > 0 as has_contacts,
        cases.is_resolved
        and coalesce(contact_stats.inbound_contact_count, 0) = 1
            as is_resolved_on_first_contact,
        contact_stats.least_channel = cases.origin_channel
        and contact_stats.greatest_channel = cases.origin_channel
            as is_contained_in_origin_channel,

        -- the first clean contact (case FCR attributes the case to it)
        struct_extract(contact_stats.first_contact, 'contact_id') as first_contact_id,
        struct_extract(contact_stats.first_contact, 'contact_date') as first_contact_date,
        struct_extract(contact_stats.first_contact, 'queue') as first_contact_queue,
        struct_extract(contact_stats.first_contact, 'channel') as first_contact_channel,
        contact_stats.last_contact_arrived_at,

        -- durations
        {{ seconds_between('cases.opened_at', 'cases.resolved_at') }} / 3600.0
            as hours_to_resolve,

        -- timestamps
        cases.opened_at,
        cases.resolved_at,
        -- converted here, not read from stg_cases: an incremental run
        -- filters its cases only after the view's columns, and would convert
        -- the instants of every case (1.3 s at 10M)
        {{ to_local('cases.opened_at') }} as opened_at_local,
        {{ to_local('cases.resolved_at') }} as resolved_at_local,
        {{ built_at() }} as built_at

    from cases
    left join contact_stats
        on cases.case_id = contact_stats.case_id

)

select * from final
