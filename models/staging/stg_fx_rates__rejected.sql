{{ rejected_rows(ref('stg_fx_rates__checked'), 'fx_rates') }}
