{{ config(materialized='table') }}

with

-- source and parsed are not materialized: the rows stream from the files
-- to each reader (docs block checked_model)
source as not materialized (

    select * from {{ raw_extract('fx_rates') }}

),

parsed as not materialized (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('fx_rates') }},
        source_file,

        -- codes
        {{ parse_currency('currency') }} as currency,

        -- numerics
        {{ parse_decimal('rate_to_reporting') }} as rate_to_reporting,

        -- dates
        {{ parse_month('month') }} as month_start

    from source

),

deduplicated as (

    {{ with_duplicate_status(
        'parsed', 'fx_rates', ['month_start', 'currency'],
        row_fingerprint(['rate_to_reporting'])
    ) }}

),

validated as (

    select
        *,
        case
            when raw_month is null then 'missing_month'
            when month_start is null then 'invalid_month'
            when raw_currency is null then 'missing_currency'
            when currency is null then 'invalid_currency'
            when duplicate_status = 'conflicting' then 'conflicting_duplicate'
            when duplicate_status is not null then null
            when raw_rate_to_reporting is null then 'missing_rate_to_reporting'
            when rate_to_reporting is null then 'invalid_rate_to_reporting'
            when rate_to_reporting <= 0 then 'non_positive_rate'
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
