{{ rejected_rows(ref('stg_cases__checked'), 'raw_cases') }}
