#!/bin/sh
# Makes sure the virtualenv holding Alibaba Cloud's own signing library (PyPI
# alibabacloud-openapi-util 0.2.4) exists under ~/.cache/byoc (skipped when present), and prints
# its python. Both the signature property test and the local Alibaba Cloud endpoint use it.
set -eu
venv="$HOME/.cache/byoc/aliyun-util-0.2.4"
if ! "$venv/bin/python" -c 'import alibabacloud_openapi_util.client' 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q 'alibabacloud-openapi-util==0.2.4' >&2
fi
echo "$venv/bin/python"
