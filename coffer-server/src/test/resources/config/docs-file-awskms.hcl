// File storage on one node, AWS KMS auto-unseal, TLS on the listener.
storage "file" {
  path = "/opt/coffer/data"
}

listener "tcp" {
  address                = "10.0.0.5:8200"
  tls_cert_file          = "/etc/coffer/tls/server.pem"
  tls_key_file           = "/etc/coffer/tls/server-key.pem"
  tls_min_version        = "tls13"
  tls_client_ca_file     = "/etc/coffer/tls/clients-ca.pem"
  max_request_size       = 1048576
  max_request_duration   = "2m30s"
}

seal "awskms" {
  region     = "eu-west-1"
  kms_key_id = "alias/coffer-unseal"
  endpoint   = "https://kms.eu-west-1.amazonaws.com"
  role_arn   = "arn:aws:iam::123456789012:role/coffer"
}

default_lease_ttl = "24h"
max_lease_ttl     = "720h"
log_level         = "debug"
log_format        = "json"
cluster_name      = "coffer-eu"
disable_mlock     = true
telemetry {
  statsite_address = "statsite.internal:8125"
  disable_hostname = true
  prefix_filter    = ["+coffer.token", "-coffer.expire",]
}
