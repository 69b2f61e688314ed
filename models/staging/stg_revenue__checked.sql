{{ config(
    materialized='incremental' if var('extract_dir') is not none else 'table',
    incremental_strategy='delete+insert',
    unique_key=['month_start', 'currency'],
) }}

-- Reads stg_fx_rates: an amount needs a rate to var('reporting_currency')
-- for its month, and is rejected without one (never converted at 1).

-- Incremental in extract-directory mode (docs block checked_model): a line
-- has no key, and its outcome depends only on itself and on the rate of its
-- month and currency. A run judges again every loaded line of the months
-- and currencies that the new files have lines of, or whose rate is no
-- longer the one their lines were converted at, and replaces them
-- (delete+insert on month and currency). Lines without a month or a
-- currency are rejected whatever the rates, and kept as they are.

with

-- source and parsed are not materialized: the rows stream from the files
-- to each reader (docs block checked_model)
source as not materialized (

    select * from {{ raw_extract('raw_revenue', this if is_incremental() else none) }}

),

fx_rates as (

    select * from {{ ref('stg_fx_rates') }}

),

parsed as not materialized (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('raw_revenue') }},
        source_file,

        -- ids
        {{ clean_text('customer_id') }} as customer_id,

        -- codes
        {{ parse_currency('currency') }} as currency,

        -- numerics
        {{ parse_decimal('amount') }} as amount,

        -- dates
        {{ parse_month('month') }} as month_start

    from source

),

{%- if is_incremental() %}

-- the months and currencies whose rate changed since their lines were
-- converted (a rate that appeared or went away included)
rate_changed as (

    select
        built.month_start,
        built.currency
    from (
        select distinct
            month_start,
            currency,
            rate_to_reporting
        from {{ this }}
        where month_start is not null and currency is not null
    ) as built
    left join fx_rates
        on
            built.month_start = fx_rates.month_start
            and built.currency = fx_rates.currency
    where
        built.rate_to_reporting
        is distinct from {{ rate_to_reporting('built', 'fx_rates') }}

),

rebuilt_keys as (

    select
        parsed.month_start,
        parsed.currency
    from parsed
    union
    select
        rate_changed.month_start,
        rate_changed.currency
    from rate_changed

),

-- the new lines and every loaded line of the rebuilt months and currencies
parsed_with_loaded as (

    select * from parsed
    union all by name
    {{ loaded_rows_of_keys(
        'rebuilt_keys', ['month_start', 'currency'], ['rate_to_reporting']
    ) }}

),
{%- endif %}

converted as (

    select
        parsed.*,
        {{ rate_to_reporting('parsed', 'fx_rates') }} as rate_to_reporting
    from {{ 'parsed_with_loaded' if is_incremental() else 'parsed' }} as parsed
    left join fx_rates
        on
            parsed.month_start = fx_rates.month_start
            and parsed.currency = fx_rates.currency

),

validated as (

    select
        *,
        cast(null as varchar) as duplicate_status,
        case
            when raw_month is null then 'missing_month'
            when month_start is null then 'invalid_month'
            when customer_id is null then 'missing_customer_id'
            when raw_amount is null then 'missing_amount'
            when amount is null then 'invalid_amount'
            when amount < 0 then 'negative_amount'
            when raw_currency is null then 'missing_currency'
            when currency is null then 'invalid_currency'
            when rate_to_reporting is null then 'missing_fx_rate'
        end as reject_reason
    from converted

),

final as (

    select
        *,
        {{ row_status() }} as row_status,
        {{ built_at() }} as built_at
    from validated

)

select * from final
