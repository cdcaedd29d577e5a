storage "file" {
  path = "/var/lib/coffer"
}
listener "tcp" {
  address     = "127.0.0.1:8200"
  tls_disable = "true"
}
seal "transit" {
  address         = "https://unsealer.internal:8200"
  token           = "s.Qf1s5zigZ4OX6akYjQXJC1jY"
  disable_renewal = "false"
  key_name        = "autounseal"
  mount_path      = "transit/"
  namespace       = "ns1/"
  tls_ca_cert     = "/etc/coffer/unsealer-ca.pem"
  tls_client_cert = "/etc/coffer/unsealer-client.pem"
  tls_client_key  = "/etc/coffer/unsealer-client-key.pem"
  tls_server_name = "unsealer.internal"
  tls_skip_verify = "false"
}
