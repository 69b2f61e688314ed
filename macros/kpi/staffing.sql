{#- Erlang C macros of the staffing KPI view (kpi_staffing_requirement),
    as SQL expressions over numeric columns: N agents (`agents`), A
    Erlangs of offered traffic (`traffic`), the average handle time and
    the answer-time threshold T in seconds. Erlang B itself is built in
    the view from Poisson terms in logs (log_poisson_term, over a series
    of N), so that hundreds of Erlangs do not overflow a double (200^134
    already exceeds its range; the largest term A^N / N!, about
    e^A / sqrt(2 pi A), does from A ~ 713). -#}

{#- exp(x), 0 when x is below -700 (exp(-700) ~ 1e-304, the bottom of the
    double range). DuckDB returns 0 on underflow; Postgres raises "value
    out of range: underflow", hence the guard. -#}
{% macro exp_or_zero(x) -%}
    case when {{ x }} < -700 then 0.0 else exp({{ x }}) end
{%- endmacro %}

{#- ln(A^N / N!), the Poisson term of N agents at A Erlangs up to the
    constant factor e^-A, in logs. -#}
{% macro log_poisson_term(agents, traffic) -%}
    ({{ agents }} * ln({{ traffic }}) - {{ ln_factorial(agents) }})
{%- endmacro %}

{#- Erlang C, the probability that a contact waits, from Erlang B:
    C = N * B / (N - A * (1 - B)). Null unless N > A (no steady state:
    the queue grows without bound). -#}
{% macro erlang_c(erlang_b, agents, traffic) -%}
    case
        when {{ agents }} > {{ traffic }}
            then {{ agents }} * {{ erlang_b }}
            / ({{ agents }} - {{ traffic }} * (1 - {{ erlang_b }}))
    end
{%- endmacro %}

{#- The Erlang C service level: the probability that a contact is
    answered within T seconds, 1 - C * exp(-(N - A) * T / AHT); 0 when
    N <= A (no steady state: waits grow without bound). -#}
{% macro erlang_c_service_level(
    erlang_c, agents, traffic, aht_seconds, threshold_seconds
) -%}
    case
        when {{ agents }} <= {{ traffic }} then 0.0
        else 1 - {{ erlang_c }} * {{ exp_or_zero(
            '-(' ~ agents ~ ' - ' ~ traffic ~ ') * ' ~ threshold_seconds
            ~ ' / ' ~ aht_seconds
        ) }}
    end
{%- endmacro %}

{#- The Erlang C average speed of answer in seconds, C * AHT / (N - A);
    null when N <= A (infinite). -#}
{% macro erlang_c_asa(erlang_c, agents, traffic, aht_seconds) -%}
    case
        when {{ agents }} > {{ traffic }}
            then {{ erlang_c }} * {{ aht_seconds }} / ({{ agents }} - {{ traffic }})
    end
{%- endmacro %}

{#- A double rounded to `digits` decimals. DuckDB-only syntax: round(double,
    integer); Postgres has round(numeric, integer) only, so a port casts
    the expression to numeric first. -#}
{% macro round_double(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}
