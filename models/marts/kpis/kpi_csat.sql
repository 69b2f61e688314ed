-- Customer satisfaction (CSAT) per local contact date, queue and channel
-- of the surveyed contact: the share of satisfied answers (4 or 5 on the
-- 1-5 scale) among the responses that answered the csat question.

with

survey_responses as (

    select * from {{ ref('fct_survey_responses') }}

),

answered as (

    select
        contact_date,
        queue,
        channel,
        csat,
        -- kpis.md: satisfied = 4 or 5
        csat >= 4 as is_satisfied
    from survey_responses
    -- kpis.md: a survey KPI counts only the responses that answered it
    where csat is not null

),

aggregated as (

    select
        contact_date,
        queue,
        channel,
        count(*) as responses,
        count(case when is_satisfied then 1 end) as satisfied,
        sum(csat) as csat_score_sum
    from answered
    group by 1, 2, 3

),

final as (

    select
        contact_date,
        queue,
        channel,
        responses,
        satisfied,
        {{ safe_ratio('satisfied', 'responses') }} as csat,
        csat_score_sum,
        {{ safe_ratio('csat_score_sum', 'responses') }} as avg_csat_score
    from aggregated

)

select * from final
