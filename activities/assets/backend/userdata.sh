#!/bin/bash
# cloud-init UserData for the ECS backend: install the HTTP service and keep it running on boot.
# The deploy activity fills in the placeholders and base64-encodes the result for RunInstances.
set -euo pipefail

INSTALL_DIR=/opt/fc-apigw-vpc
mkdir -p "$INSTALL_DIR"
cat > "$INSTALL_DIR/service.py" <<'FC_APIGW_VPC_SERVICE_EOF'
__SERVICE_PY__
FC_APIGW_VPC_SERVICE_EOF

if command -v systemctl >/dev/null 2>&1 && [ -d /etc/systemd/system ]; then
  cat > /etc/systemd/system/fc-apigw-vpc-backend.service <<UNIT_EOF
[Unit]
Description=fc-apigw-vpc backend for API Gateway
After=network-online.target

[Service]
Environment=PORT=__PORT__
Environment=API_PATH=__API_PATH__
ExecStart=/usr/bin/env python3 $INSTALL_DIR/service.py
Restart=always

[Install]
WantedBy=multi-user.target
UNIT_EOF
  systemctl daemon-reload
  systemctl enable --now fc-apigw-vpc-backend.service
else
  # Images without systemd: start it in the background; it will not survive a reboot.
  PORT=__PORT__ API_PATH=__API_PATH__ nohup python3 "$INSTALL_DIR/service.py" >/var/log/fc-apigw-vpc-backend.log 2>&1 &
fi
