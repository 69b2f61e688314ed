-- One row per cost line, in var('reporting_currency'). Lines whose
-- month and currency had no rate were rejected in staging, never
-- converted at 1.

with

costs as (

    select * from {{ ref('stg_costs') }}

),

final as (

    select
        month_start,
        cost_center,
        cost_center = 'shared' as is_shared,
        category,
        currency,
        amount,
        rate_to_reporting,
        amount_reporting
    from costs

)

select * from final
