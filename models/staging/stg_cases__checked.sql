{{ config(
    materialized='incremental' if var('extract_dir') is not none else 'table',
    incremental_strategy='delete+insert',
    unique_key='case_id',
) }}

-- Incremental in extract-directory mode: a run reads only the files not
-- loaded before, and judges their rows again together with every loaded row
-- of the same case_id (docs block checked_model).

with

-- source and parsed are not materialized: the rows stream from the files
-- to each reader (docs block checked_model)
source as not materialized (

    select * from {{ raw_extract('raw_cases', this if is_incremental() else none) }}

),

parsed as not materialized (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('raw_cases') }},
        source_file,

        -- ids
        {{ clean_text('case_id') }} as case_id,
        {{ clean_text('customer_id') }} as customer_id,

        -- codes
        {{ clean_code('category') }} as category,
        {{ clean_code('origin_channel') }} as origin_channel,

        -- timestamps
        {{ parse_timestamp('opened_at') }} as opened_at,
        {{ parse_timestamp('resolved_at') }} as resolved_at

    from source

),

{%- if is_incremental() %}

-- the new rows and every loaded row of their keys, judged together again
parsed_with_loaded as (

    select * from parsed
    union all by name
    {{ loaded_rows_of_keys('parsed', 'case_id') }}

),
{%- endif %}

deduplicated as (

    {{ with_duplicate_status(
        'parsed_with_loaded' if is_incremental() else 'parsed', 'raw_cases', ['case_id'], row_fingerprint([
            'customer_id', 'category', 'origin_channel', 'opened_at',
            'resolved_at',
        ])) }}

),

validated as (

    select
        *,
        case
            when case_id is null then 'missing_case_id'
            when duplicate_status = 'conflicting' then 'conflicting_duplicate'
            when duplicate_status is not null then null
            when customer_id is null then 'missing_customer_id'
            when raw_opened_at is null then 'missing_opened_at'
            when opened_at is null then 'invalid_opened_at'
            when {{ is_unparsed('raw_resolved_at', 'resolved_at') }}
                then 'invalid_resolved_at'
            when resolved_at < opened_at then 'resolved_before_opened'
            when category is null then 'missing_category'
            when origin_channel is null then 'missing_origin_channel'
            when origin_channel not in ('voice', 'chat', 'email', 'self_service')
                then 'invalid_origin_channel'
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
