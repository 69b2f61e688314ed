{#- Every `constraints` entry of the model's YAML, its columns' and its own,
    checked in one scan of the model. The constraints are not enforced as
    DDL (no model contract: the KPI relations are views by default), so this
    test is what makes them hold, with SQL's own meaning: a not_null fails
    on a null; a check fails where its expression is false, and passes where
    it is null, as dbt's accepted_values test does.

    Why one test instead of one per column: dbt spends about 45 ms of Python
    on every test node, whatever the data, and the checks were 311 of the
    project's 385 data tests, about 14 s of every build. One scan per model
    also reads a view or a large table once instead of once per check.

    A constraint judges one row at a time, so on a table whose every write
    stamps built_at, `where: __latest_build__` checks only the rows of the
    latest build: the others were checked when they were written.

    Returns one row per failing constraint with its number of failing rows;
    the test fails with their sum. -#}
{% test constraints_hold(model) %}

{{ config(fail_calc='coalesce(sum(failing_rows), 0)') }}

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
            {%- do constraints.append((column.name, constraint)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for constraint in node.constraints -%}
        {%- do constraints.append((none, constraint)) -%}
    {%- endfor -%}
    {%- for column_name, constraint in constraints -%}
        {%- if constraint.type == 'not_null' and column_name is not none -%}
            {%- do checks.append(column_name ~ ' is not null') -%}
        {%- elif constraint.type == 'check' and constraint.expression -%}
            {%- do checks.append(constraint.expression) -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                'constraints_hold on ' ~ node.name ~ ': it checks column '
                ~ 'not_null and check constraints with an expression, not '
                ~ constraint.type ~ ' (column ' ~ column_name ~ ')'
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
        {%- for check in checks %}
            sum(case when ({{ check }}) is false then 1 else 0 end)
            as check_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}

)

{% for check in checks -%}
    select
        '{{ check | replace("'", "''") }}' as failed_constraint,
        check_{{ loop.index }} as failing_rows
    from failing_rows_per_check
    where check_{{ loop.index }} > 0
    {{ 'union all' if not loop.last }}
{% endfor %}

{% endtest %}
