-- One row per QA evaluation, attributed to the contact it scored. The
-- agent is the one evaluated. A contact that is not a clean contact (a
-- warning-level test reports them) leaves the attribution to the local
-- date of the evaluation.

-- Incremental, like fct_survey_responses: at 10M contacts joining every
-- evaluation to its contact took 1.7-4.0 s of each daily load, which
-- rebuilds 4k of the 160k evaluations. A run rebuilds
-- the evaluations stg_qa_evaluations wrote since the latest build and those
-- whose contact fct_contacts wrote since (its attribution may have
-- changed) or stg_contacts__checked judged since (it may have left
-- fct_contacts: attributed to the evaluation's date now). delete+insert
-- replaces only the evaluations it writes, so the post-hook deletes those
-- stg_qa_evaluations no longer holds.
-- depends_on: {{ ref('stg_contacts__checked') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='evaluation_id',
        on_schema_change='fail',
        post_hook="{{ delete_rows_without_key(
            ref('stg_qa_evaluations'), 'evaluation_id',
            ref('stg_qa_evaluations__checked')
        ) }}",
    )
}}

with

evaluations as (

    select * from {{ ref('stg_qa_evaluations') }}

),

contacts as (

    select * from {{ ref('fct_contacts') }}

),

rebuilt_evaluations as (

    select * from evaluations
    {%- if is_incremental() %}
        where {{ written_since_with_contact('evaluations', contact_left=true) }}
    {%- endif %}

),

final as (

    select
        -- ids
        rebuilt_evaluations.evaluation_id,
        rebuilt_evaluations.contact_id,
        rebuilt_evaluations.agent_id,

        -- attribution
        coalesce(
            contacts.contact_date,
            cast(rebuilt_evaluations.evaluated_at_local as date)
        ) as contact_date,
        contacts.queue,
        contacts.channel,
        contacts.contact_id is not null as has_clean_contact,

        -- scores
        rebuilt_evaluations.form,
        rebuilt_evaluations.score,

        -- timestamps
        rebuilt_evaluations.evaluated_at,
        {{ built_at() }} as built_at

    from rebuilt_evaluations
    left join contacts
        on rebuilt_evaluations.contact_id = contacts.contact_id

)

select * from final
