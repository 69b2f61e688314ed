-- A hand-maintained reference seed, not an extract: no rejects model, its
-- tests stop the build instead.

with

source as (

    select * from {{ ref('kpi_targets') }}

),

final as (

    select
        lower(trim(kpi)) as kpi,
        target,
        lower(trim(better)) as better
    from source

)

select * from final
