-- One row per survey response, attributed to the contact it is about
-- (its date, queue, channel, agent), not to when it was answered.

with

surveys as (

    select * from {{ ref('stg_surveys') }}

),

contacts as (

    select * from {{ ref('fct_contacts') }}

),

final as (

    select
        -- ids
        surveys.survey_id,
        surveys.contact_id,
        contacts.agent_id,

        -- attribution
        contacts.contact_date,
        contacts.queue,
        contacts.channel,

        -- scores and their classes (kpis.md)
        surveys.csat,
        surveys.csat >= 4 as is_csat_satisfied,
        surveys.nps,
        case
            when surveys.nps >= 9 then 'promoter'
            when surveys.nps >= 7 then 'passive'
            when surveys.nps >= 0 then 'detractor'
        end as nps_category,
        surveys.ces,
        surveys.ces >= 5 as is_ces_easy,
        surveys.support_quality,
        surveys.issue_resolved,
        surveys.comment_text,

        -- timestamps
        surveys.responded_at

    from surveys
    -- every response has a clean contact (rejected as unknown_contact else)
    inner join contacts
        on surveys.contact_id = contacts.contact_id

)

select * from final
