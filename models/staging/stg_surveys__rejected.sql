{{ rejected_rows(ref('stg_surveys__checked'), 'raw_surveys') }}
