"""Tarsier's runtime for python3.11.

Speaks the Lambda Runtime API (2018-06-01) to the address in AWS_LAMBDA_RUNTIME_API and calls the
handler named by _HANDLER ("path/module.function") the way AWS Lambda's Python runtime does: Lambda's
context object, its log format on the root logger, its error shapes. Standard library only, and only
the cheap parts of it (no http.client, which pulls in email and ssl): every import here is paid for on
each cold start.
"""

import importlib
import json
import logging
import os
import socket
import sys
import time
import traceback

API_PREFIX = "/2018-06-01/runtime/"
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100
THIS_FILE = os.path.abspath(__file__)


class RuntimeApi:
    """One kept-alive HTTP/1.1 connection to the Runtime API; the long poll and the answers share it."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.address = (host, int(port))
        self.sock = None
        self.reader = None

    def request(self, method, resource, body=b"", headers=None):
        """Returns (status, headers with lower-case names, body bytes)."""
        for attempt in (1, 2):
            if self.sock is None:
                self.sock = socket.create_connection(self.address)
                # Each request is one write; no reason to let Nagle hold it back.
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.reader = self.sock.makefile("rb")
            try:
                self.sock.sendall(self._head(method, resource, body, headers) + body)
                return self._response()
            except (ConnectionError, EOFError):
                # A kept-alive connection the server closed while idle: reconnect once.
                self.close()
                if attempt == 2:
                    raise

    def post(self, resource, body, headers=None):
        status, _, answer = self.request("POST", resource, body, headers)
        if status != 202:
            raise RuntimeError("Runtime API answered %d to POST %s: %s" % (status, resource, answer.decode("utf-8", "replace")))

    def close(self):
        if self.sock is not None:
            self.reader.close()
            self.sock.close()
        self.sock = self.reader = None

    def _head(self, method, resource, body, headers):
        lines = ["%s %s%s HTTP/1.1" % (method, API_PREFIX, resource), "Host: %s:%d" % self.address]
        if method == "POST":
            lines += ["Content-Type: application/json", "Content-Length: %d" % len(body)]
        lines += ["%s: %s" % item for item in (headers or {}).items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _response(self):
        status_line = self.reader.readline()
        if not status_line:
            raise EOFError("the Runtime API closed the connection")
        status = int(status_line.split()[1])
        headers = {}
        while True:
            line = self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            return status, headers, self._chunked()
        return status, headers, self.reader.read(int(headers.get("content-length", "0")))

    def _chunked(self):
        body = bytearray()
        while True:
            size = int(self.reader.readline().split(b";")[0], 16)
            if size == 0:
                while self.reader.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(body)
            body += self.reader.read(size)
            self.reader.readline()


class Fault(Exception):
    """A failure of the runtime's own kind (Runtime.ImportModuleError ...), reported under that type."""

    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


def error_result(exc, request_id=""):
    """The body of /error and /init/error, as Lambda's Python runtime builds it."""
    if isinstance(exc, Fault):
        return {"errorMessage": exc.message, "errorType": exc.error_type, "requestId": request_id, "stackTrace": exc.trace}
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if os.path.abspath(frame.filename) != THIS_FILE]
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_list(frames),
    }


def log_error(result):
    """Lambda's error record: type, message and trace joined by carriage returns, so it stays one record."""
    lines = ["[ERROR] %s: %s" % (result["errorType"], result["errorMessage"])]
    if result["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        for element in result["stackTrace"]:
            lines.extend(element.splitlines())
    sys.stdout.write("\r".join(lines) + "\n")


# ---- Logging: Lambda's format on the root logger; print() stays raw.

class RequestIdFilter(logging.Filter):
    request_id = ""

    def filter(self, record):
        record.aws_request_id = RequestIdFilter.request_id
        return True


def setup_logging():
    formatter = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    name = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO").upper()
    # Lambda's levels are Python's, plus TRACE (below DEBUG) and WARN (an alias Python knows too).
    level = logging.DEBUG if name == "TRACE" else logging.getLevelName(name)
    root.setLevel(level if isinstance(level, int) else logging.INFO)


# ---- Loading the handler.

def load_handler(handler):
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise Fault("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (handler, e))
    if module_name.split("/")[0].split(".")[0] in sys.builtin_module_names:
        raise Fault("Runtime.BuiltInModuleConflict", "Cannot use built-in module %s as a handler module" % module_name)
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as e:
        raise Fault("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, (e.text or "").strip())]
        raise Fault("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, e), trace)
    function = getattr(module, function_name, None)
    if function is None:
        raise Fault("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))
    return function


# ---- One invocation.

class CognitoIdentity:
    def __init__(self, identity):
        self.cognito_identity_id = identity.get("cognitoIdentityId")
        self.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")


class Client:
    def __init__(self, client):
        self.installation_id = client.get("installation_id")
        self.app_title = client.get("app_title")
        self.app_version_name = client.get("app_version_name")
        self.app_version_code = client.get("app_version_code")
        self.app_package_name = client.get("app_package_name")


class ClientContext:
    def __init__(self, context):
        self.client = Client(context["client"]) if context.get("client") else None
        self.custom = context.get("custom")
        self.env = context.get("env")


class LambdaContext:
    """What Lambda passes as the handler's second argument. memory_limit_in_mb is a string, as on Lambda."""

    def __init__(self, request_id, headers):
        self.aws_request_id = request_id
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0"))
        identity = json.loads(headers["lambda-runtime-cognito-identity"]) if headers.get("lambda-runtime-cognito-identity") else None
        client_context = json.loads(headers["lambda-runtime-client-context"]) if headers.get("lambda-runtime-client-context") else None
        self.identity = CognitoIdentity(identity) if identity else None
        self.client_context = ClientContext(client_context) if client_context else None

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def __repr__(self):
        return "LambdaContext([aws_request_id=%s,function_name=%s,function_version=%s,invoked_function_arn=%s,memory_limit_in_mb=%s])" % (
            self.aws_request_id, self.function_name, self.function_version, self.invoked_function_arn, self.memory_limit_in_mb)


def to_json(result):
    def default(value):
        # Decimal (as DynamoDB hands out) without importing decimal on every cold start.
        if type(value).__name__ == "Decimal":
            return int(value) if value == value.to_integral_value() else float(value)
        raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)

    try:
        return json.dumps(result, default=default).encode("utf-8")
    except (TypeError, ValueError, OverflowError) as e:
        raise Fault("Runtime.MarshalError", "Unable to marshal response: %s" % e)


def invoke(api, handler, headers, body):
    request_id = headers["lambda-runtime-aws-request-id"]
    RequestIdFilter.request_id = request_id
    if headers.get("lambda-runtime-trace-id"):
        os.environ["_X_AMZN_TRACE_ID"] = headers["lambda-runtime-trace-id"]
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    try:
        try:
            event = json.loads(body) if body else {}
        except ValueError as e:
            raise Fault("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % e)
        payload = to_json(handler(event, LambdaContext(request_id, headers)))
        if len(payload) > MAX_RESPONSE_BYTES:
            raise Fault("Function.ResponseSizeTooLarge",
                        "Response payload size exceeded maximum allowed payload size (%d bytes)." % MAX_RESPONSE_BYTES)
    except Exception as exc:
        result = error_result(exc, request_id)
        log_error(result)
        api.post("invocation/%s/error" % request_id, to_json(result), {ERROR_TYPE_HEADER: result["errorType"]})
    else:
        api.post("invocation/%s/response" % request_id, payload)


def main():
    # Run as a script, Python puts this file's directory first on sys.path; the function's modules
    # come from /var/task instead (PYTHONPATH), so a module of theirs can never be shadowed by ours.
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(THIS_FILE):
        del sys.path[0]
    api = RuntimeApi(os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"))
    setup_logging()
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as exc:
        result = error_result(exc)
        log_error(result)
        api.post("init/error", to_json(result), {ERROR_TYPE_HEADER: result["errorType"]})
        sys.exit(1)
    while True:
        status, headers, body = api.request("GET", "invocation/next")
        if status != 200:
            raise RuntimeError("Runtime API answered %d to GET invocation/next: %s" % (status, body.decode("utf-8", "replace")))
        invoke(api, handler, headers, body)


if __name__ == "__main__":
    main()
