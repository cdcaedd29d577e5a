# /etc/vault.d/vault.hcl for an HA pair on PostgreSQL with Azure Key Vault auto-unseal
storage "postgresql" {
  connection_url = "postgres://vault:pw@db:5432/vault?sslmode=disable"
  ha_enabled     = "true"
}

listener "tcp" {
  address         = "0.0.0.0:8200"
  cluster_address = "0.0.0.0:8201"
  tls_cert_file   = "/etc/vault.d/tls/vault.crt"
  tls_key_file    = "/etc/vault.d/tls/vault.key"
}

api_addr     = "https://vault-1.example.internal:8200"
cluster_addr = "https://vault-1.example.internal:8201"
ui           = true
disable_mlock = true

seal "azurekeyvault" {
  tenant_id     = "<your-tenant-id>"
  client_id     = "<your-client-id>"
  client_secret = "<your-client-secret>"
  vault_name    = "MyVaultUnsealKeyVault"
  key_name      = "VaultUnsealKey"
}
