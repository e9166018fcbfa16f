from airflow._core import BaseOperator


class SparkSubmitOperator(BaseOperator):
    PARAMS = {"application", "conf", "conn_id", "files", "py_files", "archives", "driver_class_path", "jars",
              "java_class", "packages", "exclude_packages", "repositories", "total_executor_cores",
              "executor_cores", "executor_memory", "driver_memory", "keytab", "principal", "proxy_user", "name",
              "num_executors", "status_poll_interval", "application_args", "env_vars", "verbose",
              "spark_binary", "properties_file", "yarn_queue", "deploy_mode", "use_krb5ccache"}
