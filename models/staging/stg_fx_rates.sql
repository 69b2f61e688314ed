with

checked as (

    select * from {{ ref('stg_fx_rates__checked') }}

),

final as (

    select
        month_start,
        currency,
        rate_to_reporting
    from checked
    where row_status = 'clean'

)

select * from final
