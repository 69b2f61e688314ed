-- Customer effort score (CES) per local contact date, queue and channel of
-- the surveyed contact: the mean answer (1-7, 7 = very easy) and the share
-- of easy answers (5-7), over the responses that answered the ces question.

with

survey_responses as (

    select * from {{ ref('fct_survey_responses') }}

),

answered as (

    select
        contact_date,
        queue,
        channel,
        ces,
        -- kpis.md: easy = 5-7 on the 1-7 scale
        ces >= 5 as is_easy
    from survey_responses
    -- kpis.md: a survey KPI counts only the responses that answered it
    where ces is not null

),

aggregated as (

    select
        contact_date,
        queue,
        channel,
        count(*) as responses,
        count(case when is_easy then 1 end) as easy_responses,
        sum(ces) as ces_score_sum
    from answered
    group by 1, 2, 3

),

final as (

    select
        contact_date,
        queue,
        channel,
        responses,
        easy_responses,
        {{ safe_ratio('easy_responses', 'responses') }} as easy_rate,
        ces_score_sum,
        {{ safe_ratio('ces_score_sum', 'responses') }} as avg_ces_score
    from aggregated

)

select * from final
