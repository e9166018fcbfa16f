from airflow._core import BaseOperator

GOOGLE_ARGS = {"project_id", "region", "request_id", "retry", "timeout", "metadata", "gcp_conn_id",
               "impersonation_chain", "polling_interval_seconds", "deferrable"}


class DataprocCreateClusterOperator(BaseOperator):
    PARAMS = GOOGLE_ARGS | {"cluster_name", "cluster_config", "virtual_cluster_config", "labels",
                            "delete_on_error", "use_if_exists", "num_retries_if_resource_is_not_ready"}
    REQUIRED = {"cluster_name", "region"}


class DataprocDeleteClusterOperator(BaseOperator):
    PARAMS = GOOGLE_ARGS | {"cluster_name", "cluster_uuid"}
    REQUIRED = {"cluster_name", "region"}


class DataprocSubmitJobOperator(BaseOperator):
    PARAMS = {"job", "region", "project_id", "request_id", "retry", "timeout", "metadata", "gcp_conn_id",
              "impersonation_chain", "asynchronous", "deferrable", "polling_interval_seconds",
              "cancel_on_kill", "wait_timeout"}
    REQUIRED = {"job", "region"}
