-- Net promoter score (NPS) per local contact date, queue and channel of the
-- surveyed contact: 100 x (promoters - detractors) / responses, over the
-- responses that answered the nps question (0-10).

with

survey_responses as (

    select * from {{ ref('fct_survey_responses') }}

),

answered as (

    select
        contact_date,
        queue,
        channel,
        nps
    from survey_responses
    -- kpis.md: a survey KPI counts only the responses that answered it
    where nps is not null

),

aggregated as (

    select
        contact_date,
        queue,
        channel,
        count(*) as responses,
        -- kpis.md: promoters 9-10, passives 7-8, detractors 0-6
        count(case when nps >= 9 then 1 end) as promoters,
        count(case when nps between 7 and 8 then 1 end) as passives,
        count(case when nps <= 6 then 1 end) as detractors,
        sum(nps) as nps_score_sum
    from answered
    group by 1, 2, 3

),

final as (

    select
        contact_date,
        queue,
        channel,
        responses,
        promoters,
        passives,
        detractors,
        100 * {{ safe_ratio('promoters - detractors', 'responses') }} as nps,
        nps_score_sum,
        {{ safe_ratio('nps_score_sum', 'responses') }} as avg_nps_score
    from aggregated

)

select * from final
