-- Support quality per agent and ISO week of the surveyed contact's local
-- date: the mean answer to "how would you rate the support you got today"
-- (1-5), its sample standard deviation and 95% confidence interval, and
-- whether the sample reaches var min_sample_size.

with

survey_responses as (

    select * from {{ ref('fct_survey_responses') }}

),

answered as (

    select
        agent_id,
        cast({{ dbt.date_trunc('week', 'contact_date') }} as date)
            as iso_week_start,
        support_quality
    from survey_responses
    -- kpis.md: a survey KPI counts only the responses that answered it;
    -- a contact without an agent has no agent to rate
    where support_quality is not null and agent_id is not null

),

aggregated as (

    select
        agent_id,
        iso_week_start,
        count(*) as responses,
        sum(support_quality) as support_quality_sum,
        sum(support_quality * support_quality) as support_quality_sum_squares
    from answered
    group by 1, 2

),

-- sample variance from the additive parts, (n * sum(x^2) - sum(x)^2) /
-- (n * (n - 1)): exact in integers for integer scores, and the same
-- formula an analyst applies after re-aggregating the sums; null for n = 1
variance as (

    select
        agent_id,
        iso_week_start,
        responses,
        support_quality_sum,
        support_quality_sum_squares,
        {{ safe_ratio('support_quality_sum', 'responses') }}
            as avg_support_quality,
        {{ safe_ratio(
            'responses * support_quality_sum_squares'
            ~ ' - support_quality_sum * support_quality_sum',
            'responses * (responses - 1)'
        ) }} as support_quality_variance
    from aggregated

),

spread as (

    select
        agent_id,
        iso_week_start,
        responses,
        support_quality_sum,
        support_quality_sum_squares,
        avg_support_quality,
        sqrt(support_quality_variance) as support_quality_stddev,
        -- 95% normal interval: z = 1.96 (kpis.md)
        1.96 * sqrt(support_quality_variance) / sqrt(responses)
            as margin_of_error
    from variance

),

final as (

    select
        agent_id,
        iso_week_start,
        responses,
        support_quality_sum,
        support_quality_sum_squares,
        avg_support_quality,
        support_quality_stddev,
        avg_support_quality - margin_of_error as ci95_lower,
        avg_support_quality + margin_of_error as ci95_upper,
        responses >= {{ var('min_sample_size') }} as significant
    from spread

)

select * from final
