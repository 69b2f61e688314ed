-- The scorecard a dashboard reads: one long row per KPI and period (and
-- queue / channel where the KPI has them), each with the additive parts of
-- its source view, so that value = numerator / denominator at every grain.
-- NPS carries its x 100 in the numerator for the same reason.

{%- set sources = [
    {'kpi': 'service_level', 'view': 'kpi_service_level',
     'numerator': 'answered_within_threshold', 'denominator': 'offered'},
    {'kpi': 'asa_seconds', 'view': 'kpi_speed_of_answer',
     'numerator': 'handled_wait_seconds', 'denominator': 'handled'},
    {'kpi': 'abandonment_rate', 'view': 'kpi_abandonment',
     'numerator': 'abandoned', 'denominator': 'offered'},
    {'kpi': 'aht_seconds', 'view': 'kpi_handle_time',
     'numerator': 'total_handle_seconds', 'denominator': 'handled'},
    {'kpi': 'transfer_rate', 'view': 'kpi_transfer_rate',
     'numerator': 'transferred', 'denominator': 'handled'},
    {'kpi': 'operational_fcr', 'view': 'kpi_first_contact_resolution',
     'numerator': 'fcr_resolved', 'denominator': 'fcr_eligible'},
    {'kpi': 'repeat_contact_rate', 'view': 'kpi_repeat_contacts',
     'numerator': 'repeat_contacts', 'denominator': 'inbound_with_customer'},
    {'kpi': 'csat', 'view': 'kpi_csat',
     'numerator': 'satisfied', 'denominator': 'responses'},
    {'kpi': 'nps', 'view': 'kpi_nps',
     'numerator': '100 * (promoters - detractors)', 'denominator': 'responses'},
    {'kpi': 'easy_rate', 'view': 'kpi_customer_effort',
     'numerator': 'easy_responses', 'denominator': 'responses'},
    {'kpi': 'blocked_rate', 'view': 'kpi_blocked_contacts', 'channel': "'voice'",
     'numerator': 'blocked', 'denominator': 'inbound_voice_attempts'},
    {'kpi': 'self_service_rate', 'view': 'kpi_self_service', 'channel': none,
     'numerator': 'self_served', 'denominator': 'self_served_or_handled'},
    {'kpi': 'occupancy', 'view': 'kpi_occupancy', 'period': 'state_date',
     'queue': none, 'channel': none,
     'numerator': 'handling_seconds',
     'denominator': 'handling_seconds + available_seconds'},
    {'kpi': 'utilization', 'view': 'kpi_utilization', 'period': 'state_date',
     'queue': none, 'channel': none,
     'numerator': 'handling_seconds', 'denominator': 'logged_in_seconds'},
    {'kpi': 'cost_per_contact', 'view': 'kpi_cost_per_contact',
     'grain': 'month', 'period': 'month_start', 'channel': none,
     'numerator': 'total_cost_reporting', 'denominator': 'answered_contacts'},
    {'kpi': 'cost_per_resolution', 'view': 'kpi_cost_per_resolution',
     'grain': 'month', 'period': 'month_start', 'queue': none, 'channel': none,
     'numerator': 'total_cost_reporting', 'denominator': 'resolved_cases'},
    {'kpi': 'cost_to_revenue', 'view': 'kpi_support_cost_to_revenue',
     'grain': 'month', 'period': 'month_start', 'queue': none, 'channel': none,
     'numerator': 'total_cost_reporting',
     'denominator': 'total_revenue_reporting'},
    {'kpi': 'retention_rate', 'view': 'kpi_customer_retention',
     'grain': 'month', 'period': 'month_start', 'queue': none, 'channel': none,
     'numerator': 'retained_customers',
     'denominator': 'previous_active_customers'},
] %}

with

targets as (

    select * from {{ ref('stg_kpi_targets') }}

),

kpi_rows as (

    -- Grouping by the scorecard's grain is a no-op for the views already
    -- at it, and rolls the agent views (one row per agent and date) up to
    -- the whole center.
    {%- for source in sources %}
        {%- set queue = source.get('queue', 'queue') %}
        {%- set channel = source.get('channel', 'channel') %}

        select
            '{{ source.kpi }}' as kpi,
            '{{ source.get("grain", "day") }}' as grain,
            {{ source.get('period', 'contact_date') }} as period_start,
            {{ queue if queue else 'null' }} as queue,
            {{ channel if channel else 'null' }} as channel,
            cast(sum({{ source.numerator }}) as double) as numerator,
            cast(sum({{ source.denominator }}) as double) as denominator
        from {{ ref(source.view) }}
        group by 1, 2, 3, 4, 5
        {% if not loop.last %}union all{% endif %}

    {%- endfor %}

),

with_targets as (

    select
        kpi_rows.kpi,
        kpi_rows.grain,
        kpi_rows.period_start,
        kpi_rows.queue,
        kpi_rows.channel,
        kpi_rows.numerator,
        kpi_rows.denominator,
        -- `value` and `target` are the catalog's names, keywords or not.
        {{ safe_ratio('kpi_rows.numerator', 'kpi_rows.denominator') }} as value, -- noqa: RF04
        -- The catalog makes these two targets variables; the seed's other
        -- rows are the analyst's to edit.
        case kpi_rows.kpi
            when 'service_level' then {{ var('service_level_target') }}
            when 'aht_seconds' then {{ var('aht_target_seconds') }}
            else targets.target
        end as target, -- noqa: RF04
        targets.better
    from kpi_rows
    left join targets
        on kpi_rows.kpi = targets.kpi

),

final as (

    select
        kpi,
        grain,
        cast(period_start as date) as period_start,
        queue,
        channel,
        numerator,
        denominator,
        value, -- noqa: RF04
        target,
        better,
        case
            when value is null then null
            when target is null then 'no_target'
            when better = 'higher' and value >= target then 'on_target'
            when better = 'lower' and value <= target then 'on_target'
            else 'off_target'
        end as status
    from with_targets

)

select * from final
