{{ config(materialized='table') }}

-- Reads two other models because the contract's rules need them: a cost
-- center must be a queue of the clean contacts or `shared`, and an amount
-- needs a rate to var('reporting_currency') for its month (never 1 by
-- default).

with

source as (

    select * from {{ raw_extract('raw_costs') }}

),

queues as (

    select distinct queue from {{ ref('stg_contacts') }}

),

fx_rates as (

    select * from {{ ref('stg_fx_rates') }}

),

parsed as (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('raw_costs') }},
        source_file,

        -- codes
        {{ clean_code('cost_center') }} as cost_center,
        {{ clean_code('category') }} as category,
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
        queues.queue is not null or parsed.cost_center = 'shared'
            as is_known_cost_center,
        {{ rate_to_reporting('parsed', 'fx_rates') }} as rate_to_reporting
    from parsed
    left join queues
        on parsed.cost_center = queues.queue
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
            when cost_center is null then 'missing_cost_center'
            when not is_known_cost_center then 'unknown_cost_center'
            when category is null then 'missing_category'
            when
                category not in (
                    'labor', 'technology', 'telecom', 'facilities', 'overhead'
                )
                then 'invalid_category'
            when raw_amount is null then 'missing_amount'
            when amount is null then 'invalid_amount'
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
