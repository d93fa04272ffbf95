/**
 * Plays the CEN support team for the emulator: files the runbook's ticket parameters (as the
 * `ticketRequest` query publishes them, `AccessRegionIds.N=...`) with `POST /_emulator/tickets/cen-route`,
 * which applies ResolveAndRouteServiceInCen. Used by the demo and tests; real support works by hand.
 */
export async function fileCenRouteTicketWithEmulator(
  emulatorUrl: string,
  parameters: Record<string, string>,
  ticketId: string,
): Promise<{ ticketId: string }> {
  const accessRegionIds = Object.keys(parameters)
    .filter((key) => key.startsWith('AccessRegionIds.'))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
    .map((key) => parameters[key]);
  const response = await fetch(`${emulatorUrl}/_emulator/tickets/cen-route`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      CenId: parameters.CenId,
      Host: parameters.Host,
      HostRegionId: parameters.HostRegionId,
      HostVpcId: parameters.HostVpcId,
      AccessRegionIds: accessRegionIds,
      ticketId,
    }),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`the emulator's support desk refused the ticket (HTTP ${response.status}): ${text}`);
  return JSON.parse(text) as { ticketId: string };
}
