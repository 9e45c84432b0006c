// GatehouseEngine
