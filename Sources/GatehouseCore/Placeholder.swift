// GatehouseCore
