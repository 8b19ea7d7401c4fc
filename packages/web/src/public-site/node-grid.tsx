// The cards, in blocks of 12 (a multiple of every column count the grid takes, 1 to 4, so no
// block leaves a gap). Each block is its own grid and skips layout and paint while off screen:
// a card that changes size re-lays out its block, not a grid of 1,000 cards.
import { NodeCard } from './node-card.tsx';
import type { NodeWire } from './live-types.ts';
import type { CardFigure } from './theme-options.ts';

const blockSize = 12;

interface Props {
  nodes: readonly NodeWire[];
  /** figures the site shows on a card (theme settings); one object for all cards, so memo holds */
  show: Readonly<Record<CardFigure, boolean>>;
  featured: readonly string[];
}

export function NodeGrid({ nodes, show, featured }: Props) {
  const blocks: NodeWire[][] = [];
  for (let i = 0; i < nodes.length; i += blockSize) blocks.push(nodes.slice(i, i + blockSize));
  return (
    <div className="dash-blocks" data-testid="node-grid">
      {blocks.map((block) => (
        <div className="dash-grid" key={block[0]!.uuid}>
          {block.map((n) => (
            <NodeCard key={n.uuid} node={n} show={show} featured={featured.includes(n.uuid)} />
          ))}
        </div>
      ))}
    </div>
  );
}
