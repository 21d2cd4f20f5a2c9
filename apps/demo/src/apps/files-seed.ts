// The Files app's seeded files, made in the page: small but real, so that sharing one posts real bytes.

/** A file of the host app: its bytes stay with the host; Talk knows nothing of it but the object id. */
export interface HostFile {
  id: string;
  name: string;
  content: Blob;
}

/** The seeded files. */
export async function seededFiles(): Promise<HostFile[]> {
  const text = (body: string, type: string) => new Blob([body], { type });
  return [
    {
      id: '42',
      name: 'Quarterly report.pdf',
      content: text(pdf('Quarterly report: revenue up 12%'), 'application/pdf'),
    },
    { id: '43', name: 'Team photo.jpg', content: await teamPhoto() },
    { id: '44', name: 'Roadmap 2027.md', content: text(ROADMAP, 'text/markdown') },
    { id: '45', name: 'Budget.csv', content: text('item,amount\nhosting,1200\ndesign,800\nevents,450\n', 'text/csv') },
  ];
}

const ROADMAP = `# Roadmap 2027

1. Embeddable chat and calls in every app
2. Calendar meetings that grow into the SFU
3. Section 3: dates to come
`;

/** A one-page PDF with one line of text: enough for a viewer to open. */
function pdf(line: string): string {
  const stream = `BT /F1 18 Tf 72 720 Td (${line}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, index) => {
    const offset = body.length;
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  return `${body}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
}

/** A picture drawn in the page (a sky, a hill and five round heads), so the seeded photo previews in a chat. */
async function teamPhoto(): Promise<Blob> {
  const canvas = new OffscreenCanvas(480, 300);
  const g = canvas.getContext('2d')!;
  const sky = g.createLinearGradient(0, 0, 0, 300);
  sky.addColorStop(0, '#7cc4f0');
  sky.addColorStop(1, '#d8f0ff');
  g.fillStyle = sky;
  g.fillRect(0, 0, 480, 300);
  g.fillStyle = '#5aa05a';
  g.beginPath();
  g.ellipse(240, 330, 320, 120, 0, 0, Math.PI * 2);
  g.fill();
  const colours = ['#e07a5f', '#3d405b', '#f2cc8f', '#81b29a', '#b56576'];
  colours.forEach((colour, index) => {
    const x = 80 + index * 80;
    g.fillStyle = colour;
    g.fillRect(x - 24, 170, 48, 70);
    g.fillStyle = '#f4d7b8';
    g.beginPath();
    g.arc(x, 150, 22, 0, Math.PI * 2);
    g.fill();
  });
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
}
