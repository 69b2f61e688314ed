{#- Every `constraints` entry of the model's YAML, its columns' and its own,
    checked in one scan of the model. The constraints are not enforced as
    DDL (no model contract: the KPI relations are views by default), so this
    test is what makes them hold:
    - not_null: the column is not null;
    - check: its expression is not false (where it is null it passes, as
      in SQL and as dbt's accepted_values test);
    - unique (a column, or a model's `columns`): no two rows share the key;
      a null counts as a value, so a grain with a nullable part (no team)
      is still one row per key;
    - primary_key: unique, and each of its columns not null.

    Why one test instead of one per check: dbt spends about 45 ms of Python
    on every test node, whatever the data, and the checks were 365 of the
    project's 385 data tests, about 16 s of every build. One scan per model
    also reads a view or a large table once instead of once per check.

    On a table whose every write stamps built_at, `where: __latest_build__`
    checks only the rows of the latest build, which suits a table whose
    other rows were checked when written and whose keys are rewritten
    whole (see the macro default__get_where_subquery).

    Returns one row per failing constraint with its number of failing rows
    (for a key, the rows beyond the first of each key); the test fails with
    their sum. -#}
{% test constraints_hold(model) %}

{{ config(fail_calc='coalesce(sum(failing_rows), 0)') }}

{#- (label, the count of failing rows as an aggregate) per check -#}
{%- set checks = [] -%}
{%- if execute -%}
    {#- `model` is the relation, or with a `where` config a subquery
        that reads it -#}
    {%- set node = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('relation_name')
        | selectattr('relation_name', 'in', model | string)
        | first -%}
    {%- if node is not defined -%}
        {{ exceptions.raise_compiler_error(
            'constraints_hold: no model reads as ' ~ model
        ) }}
    {%- endif -%}
    {%- set constraints = [] -%}
    {%- for column in node.columns.values() -%}
        {%- for constraint in column.constraints -%}
            {%- do constraints.append(([column.name], constraint)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for constraint in node.constraints -%}
        {%- do constraints.append((constraint.columns, constraint)) -%}
    {%- endfor -%}
    {%- for columns, constraint in constraints -%}
        {%- set key = columns | join(', ') -%}
        {%- if constraint.type == 'check' and constraint.expression -%}
            {%- do checks.append((
                constraint.expression,
                'sum(case when (' ~ constraint.expression
                ~ ') is false then 1 else 0 end)'
            )) -%}
        {%- elif constraint.type in ('not_null', 'unique', 'primary_key')
            and columns -%}
            {%- if constraint.type != 'unique' -%}
                {%- for column in columns -%}
                    {%- do checks.append((
                        column ~ ' is not null',
                        'count(*) - count(' ~ column ~ ')'
                    )) -%}
                {%- endfor -%}
            {%- endif -%}
            {%- if constraint.type != 'not_null' -%}
                {%- do checks.append((
                    'unique (' ~ key ~ ')',
                    'count(*) - count(distinct row(' ~ key ~ '))'
                )) -%}
            {%- endif -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                'constraints_hold on ' ~ node.name ~ ': a ' ~ constraint.type
                ~ ' constraint on (' ~ key ~ ') is not one it checks'
                ~ ' (not_null, check with an expression, unique,'
                ~ ' primary_key)'
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if not checks -%}
        {{ exceptions.raise_compiler_error(
            'constraints_hold on ' ~ node.name ~ ': the model declares no '
            ~ 'constraints'
        ) }}
    {%- endif -%}
{%- endif %}

with

failing_rows_per_check as (

    select
        {%- for label, failing_rows in checks %}
            {{ failing_rows }} as check_{{ loop.index }}
            {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}

)

{% for label, failing_rows in checks -%}
    select
        '{{ label | replace("'", "''") }}' as failed_constraint,
        check_{{ loop.index }} as failing_rows
    from failing_rows_per_check
    where check_{{ loop.index }} > 0
    {{ 'union all' if not loop.last }}
{% endfor %}

{% endtest %}
