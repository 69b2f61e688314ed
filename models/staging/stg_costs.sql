with

checked as (

    select * from {{ ref('stg_costs__checked') }}

),

final as (

    select
        -- codes
        cost_center,
        category,
        currency,

        -- numerics (negative amounts are credits)
        amount,
        rate_to_reporting,
        amount * rate_to_reporting as amount_reporting,

        -- dates
        month_start

    from checked
    where row_status = 'clean'

)

select * from final
