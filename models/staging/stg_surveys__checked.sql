-- depends_on: {{ ref('stg_contacts__checked') }}
{{ config(
    materialized='incremental' if var('extract_dir') is not none else 'table',
    incremental_strategy='delete+insert',
    unique_key='survey_id',
) }}

-- The one staging model that reads another extract: the contract rejects a
-- response whose contact is not a clean contact, or that was given before
-- the contact ended, so it needs stg_contacts.

-- Incremental in extract-directory mode, like stg_contacts__checked (docs
-- block checked_model). A new contacts file can also change the outcome of
-- a loaded survey: its contact arrives late, is re-sent with another end, or
-- is rejected. Such surveys are judged again too.

{#- The rules that need the contact (the last of reject_reason), shared by
    the validation and by the incremental run's search for surveys whose
    outcome they change. -#}
{%- set contact_rules %}
            when contacts.contact_id is null then 'unknown_contact'
            when deduplicated.responded_at < contacts.ended_at
                then 'responded_before_contact_end'
{%- endset %}

with

-- source and parsed are not materialized: the rows stream from the files
-- to each reader (docs block checked_model)
source as not materialized (

    select * from {{ raw_extract('raw_surveys', this if is_incremental() else none) }}

),

contacts as (

    select * from {{ ref('stg_contacts') }}

),

parsed as not materialized (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('raw_surveys') }},
        source_file,

        -- ids
        {{ clean_text('survey_id') }} as survey_id,
        {{ clean_text('contact_id') }} as contact_id,

        -- scores
        {{ parse_integer('csat') }} as csat,
        {{ parse_integer('nps') }} as nps,
        {{ parse_integer('ces') }} as ces,
        {{ parse_integer('support_quality') }} as support_quality,

        -- booleans
        {{ parse_boolean('issue_resolved') }} as issue_resolved,

        -- strings
        {{ clean_text('comment') }} as comment_text,

        -- timestamps
        {{ parse_timestamp('responded_at') }} as responded_at

    from source

),

{%- if is_incremental() %}

-- loaded surveys (deduplicated already) that the contact rules now judge
-- otherwise. Only a contact that stg_contacts__checked judged since this
-- model's latest build can change a rule's outcome (doc block built_at):
-- the surveys of those contacts are judged again against their clean rows
-- (at 10M contacts, comparing every loaded survey with every contact took
-- 0.7 s). stg_contacts is read directly, not the contacts CTE, which
-- DuckDB would then materialize with every column of every contact.
contact_changed as (

    select deduplicated.survey_id
    from {{ this }} as deduplicated
    left join (
        select
            contact_id,
            ended_at
        from {{ ref('stg_contacts') }}
        where {{ built_after_latest_build('built_at') }}
    ) as contacts
        on deduplicated.contact_id = contacts.contact_id
    where
        deduplicated.contact_id in (
            select rejudged.contact_id
            from {{ ref('stg_contacts__checked') }} as rejudged
            where {{ built_after_latest_build('rejudged.built_at') }}
        )
        and (
            deduplicated.row_status = 'clean'
            or deduplicated.reject_reason in (
                'unknown_contact', 'responded_before_contact_end'
            )
        )
        and deduplicated.reject_reason is distinct from (
            case {{ contact_rules }} end
        )

),

rebuilt_keys as (

    select parsed.survey_id from parsed
    union
    select contact_changed.survey_id from contact_changed

),

-- the new rows and every loaded row of their keys or of a key whose
-- outcome changed, judged together again
parsed_with_loaded as (

    select * from parsed
    union all by name
    {{ loaded_rows_of_keys('rebuilt_keys', 'survey_id') }}

),
{%- endif %}

deduplicated as (

    {{ with_duplicate_status(
        'parsed_with_loaded' if is_incremental() else 'parsed',
        'raw_surveys', ['survey_id'], row_fingerprint([
            'contact_id', 'csat', 'nps', 'ces', 'support_quality',
            'issue_resolved', 'comment_text', 'responded_at',
        ])) }}

),

validated as (

    select
        deduplicated.*,
        case
            when deduplicated.survey_id is null then 'missing_survey_id'
            when deduplicated.duplicate_status = 'conflicting'
                then 'conflicting_duplicate'
            when deduplicated.duplicate_status is not null then null
            when deduplicated.contact_id is null then 'missing_contact_id'
            when deduplicated.raw_responded_at is null
                then 'missing_responded_at'
            when deduplicated.responded_at is null then 'invalid_responded_at'
            when {{ is_unparsed('deduplicated.raw_csat', 'deduplicated.csat') }}
                then 'invalid_csat'
            when deduplicated.csat not between 1 and 5 then 'csat_out_of_range'
            when {{ is_unparsed('deduplicated.raw_nps', 'deduplicated.nps') }}
                then 'invalid_nps'
            when deduplicated.nps not between 0 and 10 then 'nps_out_of_range'
            when {{ is_unparsed('deduplicated.raw_ces', 'deduplicated.ces') }}
                then 'invalid_ces'
            when deduplicated.ces not between 1 and 7 then 'ces_out_of_range'
            when {{ is_unparsed(
                'deduplicated.raw_support_quality', 'deduplicated.support_quality'
            ) }}
                then 'invalid_support_quality'
            when deduplicated.support_quality not between 1 and 5
                then 'support_quality_out_of_range'
            when {{ is_unparsed(
                'deduplicated.raw_issue_resolved', 'deduplicated.issue_resolved'
            ) }}
                then 'invalid_issue_resolved'
            {{- contact_rules }}
        end as reject_reason
    from deduplicated
    left join contacts
        on deduplicated.contact_id = contacts.contact_id

),

final as (

    select
        *,
        {{ row_status() }} as row_status,
        {{ built_at() }} as built_at
    from validated

)

select * from final
