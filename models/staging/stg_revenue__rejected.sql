{{ rejected_rows(ref('stg_revenue__checked'), 'raw_revenue') }}
