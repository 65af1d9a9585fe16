// CORS headers of the appliance-shaped stub servers the PWA tests talk to from another origin.
export const applianceCors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization, content-type, accept', 'access-control-allow-methods': 'GET, POST, OPTIONS' };
