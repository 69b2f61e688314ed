{{ rejected_rows(ref('stg_costs__checked'), 'raw_costs') }}
