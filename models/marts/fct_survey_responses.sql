-- One row per survey response, attributed to the contact it is about
-- (its date, queue, channel, agent), not to when it was answered.

-- Incremental: at 10M contacts joining every survey to its contact took
-- 1.2 s of each daily load (3.4 s beside another model), for the few
-- thousand surveys a day changes. delete+insert replaces only the surveys
-- it writes, so the post-hook deletes those stg_surveys no longer holds.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='survey_id',
        on_schema_change='fail',
        post_hook="{{ delete_rows_without_key(
            ref('stg_surveys'), 'survey_id', ref('stg_surveys__checked')
        ) }}",
    )
}}

with

surveys as (

    select * from {{ ref('stg_surveys') }}

),

contacts as (

    select * from {{ ref('fct_contacts') }}

),

rebuilt_surveys as (

    select * from surveys
    {%- if is_incremental() %}
        -- a survey whose contact left fct_contacts is rejected in staging,
        -- so written again
        where {{ written_since_with_contact('surveys') }}
    {%- endif %}

),

final as (

    select
        -- ids
        rebuilt_surveys.survey_id,
        rebuilt_surveys.contact_id,
        contacts.agent_id,

        -- attribution
        contacts.contact_date,
        contacts.queue,
        contacts.channel,

        -- scores and their classes (kpis.md)
        rebuilt_surveys.csat,
        rebuilt_surveys.csat >= 4 as is_csat_satisfied,
        rebuilt_surveys.nps,
        case
            when rebuilt_surveys.nps >= 9 then 'promoter'
            when rebuilt_surveys.nps >= 7 then 'passive'
            when rebuilt_surveys.nps >= 0 then 'detractor'
        end as nps_category,
        rebuilt_surveys.ces,
        rebuilt_surveys.ces >= 5 as is_ces_easy,
        rebuilt_surveys.support_quality,
        rebuilt_surveys.issue_resolved,
        rebuilt_surveys.comment_text,

        -- timestamps
        rebuilt_surveys.responded_at,
        {{ built_at() }} as built_at

    from rebuilt_surveys
    -- every response has a clean contact (rejected as unknown_contact else)
    inner join contacts
        on rebuilt_surveys.contact_id = contacts.contact_id

)

select * from final
