with

checked as (

    select * from {{ ref('stg_qa_evaluations__checked') }}

),

final as (

    select
        -- ids
        evaluation_id,
        contact_id,
        agent_id,

        -- strings
        form,

        -- numerics
        score,

        -- timestamps
        evaluated_at,
        {{ to_local('evaluated_at') }} as evaluated_at_local,
        built_at

    from checked
    where row_status = 'clean'

)

select * from final
