-- The scorecard must carry every KPI view's parts unchanged: per KPI, the
-- same totals of numerator and denominator as the view it reads. Returns
-- the KPIs that differ (a lost or doubled row, a wrong column).

with

scorecard as (

    select
        kpi,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from {{ ref('kpi_scorecard') }}
    group by 1

),

views as (

    select
        'service_level' as kpi,
        sum(answered_within_threshold) as numerator,
        sum(offered) as denominator
    from {{ ref('kpi_service_level') }}
    union all
    select
        'asa_seconds' as kpi,
        sum(handled_wait_seconds) as numerator,
        sum(handled) as denominator
    from {{ ref('kpi_speed_of_answer') }}
    union all
    select
        'abandonment_rate' as kpi,
        sum(abandoned) as numerator,
        sum(offered) as denominator
    from {{ ref('kpi_abandonment') }}
    union all
    select
        'aht_seconds' as kpi,
        sum(total_handle_seconds) as numerator,
        sum(handled) as denominator
    from {{ ref('kpi_handle_time') }}
    union all
    select
        'transfer_rate' as kpi,
        sum(transferred) as numerator,
        sum(handled) as denominator
    from {{ ref('kpi_transfer_rate') }}
    union all
    select
        'operational_fcr' as kpi,
        sum(fcr_resolved) as numerator,
        sum(fcr_eligible) as denominator
    from {{ ref('kpi_first_contact_resolution') }}
    union all
    select
        'repeat_contact_rate' as kpi,
        sum(repeat_contacts) as numerator,
        sum(inbound_with_customer) as denominator
    from {{ ref('kpi_repeat_contacts') }}
    union all
    select
        'csat' as kpi,
        sum(satisfied) as numerator,
        sum(responses) as denominator
    from {{ ref('kpi_csat') }}
    union all
    select
        'nps' as kpi,
        100 * (sum(promoters) - sum(detractors)) as numerator,
        sum(responses) as denominator
    from {{ ref('kpi_nps') }}
    union all
    select
        'easy_rate' as kpi,
        sum(easy_responses) as numerator,
        sum(responses) as denominator
    from {{ ref('kpi_customer_effort') }}
    union all
    select
        'blocked_rate' as kpi,
        sum(blocked) as numerator,
        sum(inbound_voice_attempts) as denominator
    from {{ ref('kpi_blocked_contacts') }}
    union all
    select
        'self_service_rate' as kpi,
        sum(self_served) as numerator,
        sum(self_served) + sum(handled) as denominator
    from {{ ref('kpi_self_service') }}
    union all
    select
        'occupancy' as kpi,
        sum(handling_seconds) as numerator,
        sum(handling_seconds) + sum(available_seconds) as denominator
    from {{ ref('kpi_occupancy') }}
    union all
    select
        'utilization' as kpi,
        sum(handling_seconds) as numerator,
        sum(logged_in_seconds) as denominator
    from {{ ref('kpi_utilization') }}
    union all
    select
        'cost_per_contact' as kpi,
        sum(total_cost_reporting) as numerator,
        sum(answered_contacts) as denominator
    from {{ ref('kpi_cost_per_contact') }}
    union all
    select
        'cost_per_resolution' as kpi,
        sum(total_cost_reporting) as numerator,
        sum(resolved_cases) as denominator
    from {{ ref('kpi_cost_per_resolution') }}
    union all
    select
        'cost_to_revenue' as kpi,
        sum(total_cost_reporting) as numerator,
        sum(total_revenue_reporting) as denominator
    from {{ ref('kpi_support_cost_to_revenue') }}
    union all
    select
        'retention_rate' as kpi,
        sum(retained_customers) as numerator,
        sum(previous_active_customers) as denominator
    from {{ ref('kpi_customer_retention') }}

),

final as (

    select
        coalesce(views.kpi, scorecard.kpi) as kpi,
        views.numerator as view_numerator,
        scorecard.numerator as scorecard_numerator,
        views.denominator as view_denominator,
        scorecard.denominator as scorecard_denominator
    from views
    full outer join scorecard
        on views.kpi = scorecard.kpi
    -- Sums of money are doubles: compare within a relative 1e-9.
    where
        views.kpi is null
        or scorecard.kpi is null
        or abs(coalesce(views.numerator, 0) - coalesce(scorecard.numerator, 0))
        > 1e-9 * greatest(1, abs(coalesce(views.numerator, 0)))
        or abs(coalesce(views.denominator, 0) - coalesce(scorecard.denominator, 0))
        > 1e-9 * greatest(1, abs(coalesce(views.denominator, 0)))

)

select * from final
