{{ config(materialized='table') }}

-- The one staging model that reads another extract: the contract rejects a
-- response whose contact is not a clean contact, or that was given before
-- the contact ended, so it needs stg_contacts.

with

source as (

    select * from {{ raw_extract('raw_surveys') }}

),

contacts as (

    select * from {{ ref('stg_contacts') }}

),

parsed as (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('raw_surveys') }},

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

deduplicated as (

    {{ with_duplicate_status('parsed', 'raw_surveys', ['survey_id'], row_fingerprint([
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
            when contacts.contact_id is null then 'unknown_contact'
            when deduplicated.responded_at < contacts.ended_at
                then 'responded_before_contact_end'
        end as reject_reason
    from deduplicated
    left join contacts
        on deduplicated.contact_id = contacts.contact_id

),

final as (

    select
        *,
        {{ row_status() }} as row_status
    from validated

)

select * from final
