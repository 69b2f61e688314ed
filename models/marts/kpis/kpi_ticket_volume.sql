-- Ticket volume: cases opened per local date of opened_at, category and
-- origin channel.

with

cases as (

    select * from {{ ref('fct_cases') }}

),

classified as (

    select
        opened_date,
        category,
        origin_channel
    from cases

),

final as (

    select
        opened_date,
        category,
        origin_channel,
        count(*) as opened_cases
    from classified
    group by 1, 2, 3

)

select * from final
