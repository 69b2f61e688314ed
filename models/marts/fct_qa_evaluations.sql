-- One row per QA evaluation, attributed to the contact it scored. The
-- agent is the one evaluated. A contact that is not a clean contact (a
-- warning-level test reports them) leaves the attribution to the local
-- date of the evaluation.

with

evaluations as (

    select * from {{ ref('stg_qa_evaluations') }}

),

contacts as (

    select * from {{ ref('fct_contacts') }}

),

final as (

    select
        -- ids
        evaluations.evaluation_id,
        evaluations.contact_id,
        evaluations.agent_id,

        -- attribution
        coalesce(
            contacts.contact_date, cast(evaluations.evaluated_at_local as date)
        ) as contact_date,
        contacts.queue,
        contacts.channel,
        contacts.contact_id is not null as has_clean_contact,

        -- scores
        evaluations.form,
        evaluations.score,

        -- timestamps
        evaluations.evaluated_at

    from evaluations
    left join contacts
        on evaluations.contact_id = contacts.contact_id

)

select * from final
