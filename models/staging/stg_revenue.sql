with

checked as (

    select * from {{ ref('stg_revenue__checked') }}

),

final as (

    select
        -- ids
        customer_id,

        -- codes
        currency,

        -- numerics
        amount,
        rate_to_reporting,
        amount * rate_to_reporting as amount_reporting,

        -- dates
        month_start

    from checked
    where row_status = 'clean'

)

select * from final
