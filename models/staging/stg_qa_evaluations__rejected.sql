{{ rejected_rows(ref('stg_qa_evaluations__checked'), 'raw_qa_evaluations') }}
