-- Where the last build lost rows, worst first: each extract's rejected rows
-- by reason with their share of the extract, to decide which source
-- system to chase. The rows themselves are in staging.stg_<extract>__rejected.

with

audit as (

    select * from {{ ref('audit_extract_rows') }}

),

extract_totals as (

    select
        extract_name,
        sum(row_count) as raw_rows
    from audit
    group by 1

),

final as (

    select
        audit.extract_name,
        audit.reason as reject_reason,
        audit.row_count as rejected_rows,
        extract_totals.raw_rows,
        round(audit.row_count / extract_totals.raw_rows, 4) as rejected_share
    from audit
    inner join extract_totals
        on audit.extract_name = extract_totals.extract_name
    where audit.row_status = 'rejected'

)

select * from final
order by 3 desc
