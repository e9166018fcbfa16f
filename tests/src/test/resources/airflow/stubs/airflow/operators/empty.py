from airflow._core import BaseOperator, require_major

require_major("2", "airflow.operators.empty")


class EmptyOperator(BaseOperator):
    pass
