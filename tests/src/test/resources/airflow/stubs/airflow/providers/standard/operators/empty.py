from airflow._core import BaseOperator, require_major

require_major("3", "airflow.providers.standard")


class EmptyOperator(BaseOperator):
    pass
