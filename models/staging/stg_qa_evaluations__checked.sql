{{ config(
    materialized='incremental' if var('extract_dir') is not none else 'table',
    incremental_strategy='delete+insert',
    unique_key='evaluation_id',
) }}

-- Incremental in extract-directory mode, like stg_cases__checked (docs
-- block checked_model).

with

-- source and parsed are not materialized: the rows stream from the files
-- to each reader (docs block checked_model)
source as not materialized (

    select * from {{ raw_extract('raw_qa_evaluations', this if is_incremental() else none) }}

),

parsed as not materialized (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('raw_qa_evaluations') }},
        source_file,

        -- ids
        {{ clean_text('evaluation_id') }} as evaluation_id,
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('agent_id') }} as agent_id,

        -- strings
        {{ clean_text('form') }} as form,

        -- numerics
        {{ parse_decimal('score') }} as score,

        -- timestamps
        {{ parse_timestamp('evaluated_at') }} as evaluated_at

    from source

),

{%- if is_incremental() %}

-- the new rows and every loaded row of their keys, judged together again
parsed_with_loaded as (

    select * from parsed
    union all by name
    {{ loaded_rows_of_keys('parsed', 'evaluation_id') }}

),
{%- endif %}

deduplicated as (

    {{ with_duplicate_status(
        'parsed_with_loaded' if is_incremental() else 'parsed', 'raw_qa_evaluations', ['evaluation_id'], row_fingerprint([
            'contact_id', 'agent_id', 'form', 'score', 'evaluated_at',
        ])) }}

),

validated as (

    select
        *,
        case
            when evaluation_id is null then 'missing_evaluation_id'
            when duplicate_status = 'conflicting' then 'conflicting_duplicate'
            when duplicate_status is not null then null
            when contact_id is null then 'missing_contact_id'
            when agent_id is null then 'missing_agent_id'
            when raw_evaluated_at is null then 'missing_evaluated_at'
            when evaluated_at is null then 'invalid_evaluated_at'
            when raw_score is null then 'missing_score'
            when score is null then 'invalid_score'
            when score not between 0 and 100 then 'score_out_of_range'
        end as reject_reason
    from deduplicated

),

final as (

    select
        *,
        {{ row_status() }} as row_status,
        {{ built_at() }} as built_at
    from validated

)

select * from final
