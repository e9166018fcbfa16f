from airflow._core import BaseOperator


class DataprocSubmitJobOperator(BaseOperator):
    PARAMS = {"job", "region", "project_id", "request_id", "retry", "timeout", "metadata", "gcp_conn_id",
              "impersonation_chain", "asynchronous", "deferrable", "polling_interval_seconds",
              "cancel_on_kill", "wait_timeout"}
    REQUIRED = {"job", "region"}
