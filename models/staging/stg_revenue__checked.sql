{{ config(materialized='table') }}

-- Reads stg_fx_rates: an amount needs a rate to var('reporting_currency')
-- for its month, and is rejected without one (never converted at 1).

with

source as (

    select * from {{ raw_extract('raw_revenue') }}

),

fx_rates as (

    select * from {{ ref('stg_fx_rates') }}

),

parsed as (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('raw_revenue') }},

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

converted as (

    select
        parsed.*,
        {{ rate_to_reporting('parsed', 'fx_rates') }} as rate_to_reporting
    from parsed
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
        {{ row_status() }} as row_status
    from validated

)

select * from final
