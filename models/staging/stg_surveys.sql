with

checked as (

    select * from {{ ref('stg_surveys__checked') }}

),

final as (

    select
        -- ids
        survey_id,
        contact_id,

        -- scores (null: question skipped)
        csat,
        nps,
        ces,
        support_quality,

        -- booleans
        issue_resolved,

        -- strings
        comment_text,

        -- timestamps
        responded_at,
        {{ to_local('responded_at') }} as responded_at_local,
        built_at

    from checked
    where row_status = 'clean'

)

select * from final
