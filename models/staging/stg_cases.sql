with

checked as (

    select * from {{ ref('stg_cases__checked') }}

),

final as (

    select
        -- ids
        case_id,
        customer_id,

        -- codes
        category,
        origin_channel,

        -- booleans
        resolved_at is not null as is_resolved,

        -- timestamps
        opened_at,
        resolved_at,
        {{ to_local('opened_at') }} as opened_at_local,
        {{ to_local('resolved_at') }} as resolved_at_local,
        built_at

    from checked
    where row_status = 'clean'

)

select * from final
